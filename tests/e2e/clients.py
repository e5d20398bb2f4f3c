"""A client process for the concurrency test: posts a list of facts over HTTP.

Run as ``python -m tests.e2e.clients BASE_URL TOKEN FILE``; FILE holds the bodies
as JSON; prints how many were created and how many were already there.
"""

from __future__ import annotations

import sys
from pathlib import Path

import httpx
import orjson


def main() -> None:
    base, token, path = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    bodies = orjson.loads(path.read_bytes())
    created = present = 0
    with httpx.Client(
        base_url=base, timeout=60, headers={"Authorization": f"Bearer {token}"}
    ) as client:
        for body in bodies:
            response = client.post("/facts", json=body)
            if response.status_code == 201:
                created += 1
            elif response.status_code == 200:
                present += 1
            else:
                raise SystemExit(f"{response.status_code}: {response.text}")
    print(orjson.dumps({"created": created, "present": present}).decode())


if __name__ == "__main__":
    main()
