"""JSON Schemas of proposals, their candidates and the decisions on them."""

from __future__ import annotations

from typing import Any

from service.proposal_input import MAX_TEXT_BYTES
from service.review import MAX_REASON

_REF = "#/components/schemas/"
_TEXT_OR_NULL = {"type": ["string", "null"]}
_LINKS = {"type": "object", "additionalProperties": {"type": "string"}}
EVIDENCE = {
    "type": "object",
    "description": "Where in the article the fact is stated: characters start to "
    "end, and those words",
    "properties": {
        "start": {"type": "integer", "minimum": 0},
        "end": {"type": "integer", "minimum": 0},
        "text": {"type": "string"},
    },
    "required": ["start", "end", "text"],
}
DECISION = {
    "type": "object",
    "properties": {
        "by": {"type": "string"},
        "at": {"type": "string"},
        "reason": _TEXT_OR_NULL,
        "fact_id": _TEXT_OR_NULL,
        "position": {"type": ["integer", "null"]},
    },
    "required": ["by", "at", "reason", "fact_id", "position"],
}

PROPOSAL_SCHEMAS: dict[str, dict[str, Any]] = {
    "ProposalBody": {
        "type": "object",
        "properties": {
            "text": {
                "type": "string",
                "minLength": 1,
                "maxLength": MAX_TEXT_BYTES,
                "description": f"The article's text (at most {MAX_TEXT_BYTES} bytes "
                "as UTF-8). It is kept with the proposal, never published.",
            },
            "source": {
                "description": "The article: {id} of a registered source, or the "
                "source in full as POST /sources takes it (registered when a "
                "candidate is first accepted); published is required",
                "anyOf": [
                    {
                        "type": "object",
                        "properties": {"id": {"type": "string"}},
                        "required": ["id"],
                        "additionalProperties": False,
                    },
                    {"$ref": _REF + "SourceBody"},
                ],
            },
            "authority": {
                "type": "string",
                "description": "The authority the article is about (a registered "
                "GSS code); without it the extractor names one, if it can",
            },
        },
        "required": ["text", "source"],
        "additionalProperties": False,
    },
    "Candidate": {
        "type": "object",
        "properties": {
            "n": {"type": "integer", "minimum": 1},
            "kind": {"type": "string"},
            "fields": {"type": "object"},
            "effective": _TEXT_OR_NULL,
            "approximate": {"type": "boolean"},
            "evidence": EVIDENCE,
            "confidence": {"type": ["number", "null"]},
            "status": {
                "enum": ["proposed", "accepting", "accepted", "rejected"],
                "description": "accepting: an acceptance is under way",
            },
            "decision": DECISION,
            "links": _LINKS,
        },
        "required": [
            "n",
            "kind",
            "fields",
            "effective",
            "approximate",
            "evidence",
            "confidence",
            "status",
        ],
    },
    "Proposal": {
        "type": "object",
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "authority": _TEXT_OR_NULL,
            "source": {"type": "object"},
            "created": {"type": "string"},
            "recorded_by": {"type": "string"},
            "text": {"type": "string"},
            "candidates": {
                "type": "array",
                "items": {"$ref": _REF + "Candidate"},
            },
            "links": _LINKS,
        },
        "required": ["id", "authority", "candidates"],
    },
    "ProposalSummary": {
        "type": "object",
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "authority": _TEXT_OR_NULL,
            "source": {"type": "object"},
            "created": {"type": "string"},
            "recorded_by": {"type": "string"},
            "counts": {
                "type": "object",
                "additionalProperties": {"type": "integer"},
            },
            "links": _LINKS,
        },
        "required": ["id", "authority", "source", "created", "counts", "links"],
    },
    "Acceptance": {
        "type": "object",
        "description": "What to change before recording (each optional): fields "
        "replace the candidate's; the same checks as POST /facts",
        "properties": {
            "fields": {"type": "object"},
            "effective": {"type": "string"},
            "approximate": {"type": "boolean"},
            "authority": {"type": "string"},
            "summary": {"type": "string", "minLength": 1, "maxLength": 500},
        },
        "additionalProperties": False,
    },
    "AcceptanceReceipt": {
        "type": "object",
        "properties": {
            "fact_id": {"type": "string", "format": "uuid"},
            "position": {"type": "integer"},
            "created": {"type": "boolean"},
            "candidate": {"$ref": _REF + "Candidate"},
            "links": _LINKS,
        },
        "required": ["fact_id", "position", "created", "candidate", "links"],
    },
    "Rejection": {
        "type": "object",
        "properties": {
            "reason": {"type": "string", "minLength": 1, "maxLength": MAX_REASON}
        },
        "required": ["reason"],
        "additionalProperties": False,
    },
    "RejectionReceipt": {
        "type": "object",
        "properties": {"candidate": {"$ref": _REF + "Candidate"}},
        "required": ["candidate"],
    },
}
