"""JSON Schemas of what the API accepts and returns.

The write bodies are generated from the domain's table of kinds
(:data:`domain.kinds.KINDS`), the same field specifications that validate them,
so the description and the validation cannot drift apart.
"""

from __future__ import annotations

from typing import Any

from domain.fields import number_schema, text_schema
from domain.kinds import KINDS, KindSpec
from domain.numbers import UNIT_RANGES
from domain.values import (
    DATE_PATTERN,
    GSS_PATTERN,
    MEASURE_PATTERN,
    SLUG_PATTERN,
    URL_PATTERN,
)
from domain.vocabulary import (
    FRAMEWORKS_WITHOUT_OVERALL_GRADE,
    Framework,
    Judgement,
    SourceKind,
    Unit,
)
from projections.evidence import LABELS as EVIDENCE_LABELS
from service.http.proposal_schemas import EVIDENCE, PROPOSAL_SCHEMAS

GSS = GSS_PATTERN
SLUG = SLUG_PATTERN
MEASURE = MEASURE_PATTERN


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def _value_by_unit() -> list[dict[str, Any]]:
    """Which values each unit admits (a count of children is a whole number below
    10^8, a percentage a decimal below 10^6, ...); no unit means children."""
    cases: list[dict[str, Any]] = [
        {
            "properties": {
                "unit": {"const": unit.value},
                "value": number_schema(number_range),
            },
            "required": ["unit"],
        }
        for unit, number_range in UNIT_RANGES.items()
    ]
    cases.append(
        {
            "not": {"required": ["unit"]},
            "properties": {"value": number_schema(UNIT_RANGES[Unit.CHILDREN])},
        }
    )
    return cases


def _judgement_by_framework() -> list[dict[str, Any]]:
    graded = [f.value for f in Framework if f not in FRAMEWORKS_WITHOUT_OVERALL_GRADE]
    return [
        {
            "properties": {
                "framework": {"enum": sorted(FRAMEWORKS_WITHOUT_OVERALL_GRADE)},
                "judgement": {"const": Judgement.NONE.value},
            }
        },
        {
            "properties": {
                "framework": {"enum": graded},
                "judgement": {
                    "enum": [j.value for j in Judgement if j is not Judgement.NONE]
                },
            }
        },
    ]


def fact_body_schema(spec: KindSpec) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "kind": {"const": spec.kind},
        "authority": {"type": "string", "pattern": GSS, "description": "GSS code"},
        "source": {
            "type": "string",
            "pattern": SLUG,
            "description": "a registered source id",
        },
        "effective": {
            "type": "string",
            "pattern": DATE_PATTERN,
            "description": f"when the fact held: {spec.effective_means}",
        },
        "approximate": {"type": "boolean"},
        "summary": text_schema(500),
    }
    required = ["kind", "authority", "source", "effective"]
    for f in spec.fields:
        properties[f.name] = f.schema
        if f.required:
            required.append(f.name)
    schema: dict[str, Any] = {
        "title": spec.event,
        "description": spec.description,
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }
    if {"unit", "value"} <= spec.field_names:
        schema["anyOf"] = _value_by_unit()
    if {"framework", "judgement"} <= spec.field_names:
        schema["oneOf"] = _judgement_by_framework()
    return schema


def correction_schema() -> dict[str, Any]:
    properties: dict[str, Any] = {
        "reason": text_schema(500),
        "source": {
            "type": "string",
            "pattern": SLUG,
            "description": "the registered source of the correction",
        },
        "effective": {"type": "string", "pattern": DATE_PATTERN},
        "approximate": {"type": "boolean"},
        "summary": text_schema(500),
    }
    # A field of the same name may differ between kinds (a target's "by" is a
    # date, an intervention's a name): a correction may carry either.
    shapes: dict[str, list[dict[str, Any]]] = {}
    for spec in KINDS.values():
        for f in spec.fields:
            schema = f.schema
            if schema not in shapes.setdefault(f.name, []):
                shapes[f.name].append(schema)
    for name, found in shapes.items():
        properties.setdefault(name, found[0] if len(found) == 1 else {"anyOf": found})
    return {
        "description": "The fields to change (those of the fact's kind) and a reason.",
        "type": "object",
        "properties": properties,
        "required": ["reason"],
        "minProperties": 2,
        "additionalProperties": False,
    }


EFFECTIVE = {
    "type": "object",
    "properties": {
        "date": {"type": "string", "pattern": DATE_PATTERN},
        "precision": {"type": "string", "enum": ["day", "month", "year"]},
        "approximate": {"type": "boolean"},
    },
    "required": ["date", "precision", "approximate"],
}
RECORDED = {
    "type": "object",
    "properties": {"position": {"type": "integer"}, "at": {"type": "string"}},
    "required": ["position", "at"],
}
TEXT_OR_NULL = {"type": ["string", "null"]}
# Every paged listing's body has these beside its items.
NEXT = {
    "type": ["string", "null"],
    "description": "The next page's URL (the same as the Link header's rel=next), "
    "or null on the last page.",
}
PAGE_COUNT = {
    "type": "integer",
    "minimum": 0,
    "description": "How many items are on this page (not a total over every page).",
}
LINK_HEADER = {
    "description": 'The next page: <URL>; rel="next" (absent on the last page).',
    "schema": {"type": "string"},
}

SCHEMAS: dict[str, dict[str, Any]] = {
    "Effective": EFFECTIVE,
    "SourceRef": {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "kind": {"type": "string"},
            "title": {"type": "string"},
            "publisher": {"type": "string"},
            "url": TEXT_OR_NULL,
            "published": nullable(ref("Effective")),
        },
        "required": ["id", "kind", "title", "publisher", "url", "published"],
    },
    "Fact": {
        "type": "object",
        "properties": {
            "fact_id": {"type": "string", "format": "uuid"},
            "kind": {"type": "string", "enum": sorted(KINDS)},
            "authority": {"type": "string", "pattern": GSS},
            "subject": {"type": "string"},
            "effective": ref("Effective"),
            "summary": {"type": "string"},
            "fields": {"type": "object"},
            "source": ref("SourceRef"),
            "evidence_class": {"type": "string", "enum": sorted(EVIDENCE_LABELS)},
            "quoted_in": {"type": "string"},
            "recorded": RECORDED,
            "version": {"type": "integer", "minimum": 1},
            "status": {"type": "string", "enum": ["current", "corrected", "retracted"]},
            "reason": {"type": "string"},
            "correction_source": {"type": "string"},
            "superseded_at": {"type": "integer"},
            "recorded_by": {
                "type": "string",
                "description": "who recorded this version over HTTP (the name "
                "of the write token); absent for the seeds and imports",
            },
            "proposal_id": {
                "type": "string",
                "description": "the proposal the fact was accepted from",
            },
            "evidence": EVIDENCE,
            "framework_name": {"type": "string"},
            "current": {"type": "boolean"},
            "reported_by": {"type": "integer"},
        },
        "required": [
            "fact_id",
            "kind",
            "authority",
            "subject",
            "effective",
            "summary",
            "fields",
            "source",
            "evidence_class",
            "recorded",
            "version",
            "status",
        ],
    },
    "Authority": {
        "type": "object",
        "properties": {
            "code": {"type": "string", "pattern": GSS},
            "name": {"type": "string"},
            "level": {"type": "string", "enum": ["authority", "region", "country"]},
            "dfe_number": TEXT_OR_NULL,
            "ofsted_urn": TEXT_OR_NULL,
            "region": TEXT_OR_NULL,
            "status": {"type": "string", "enum": ["current", "abolished"]},
            "replaced_by": {
                "type": "array",
                "description": "For an abolished authority, those that took over its "
                "area in the reorganisation (empty otherwise)",
                "items": {
                    "type": "object",
                    "properties": {
                        "code": {"type": "string", "pattern": GSS},
                        "name": TEXT_OR_NULL,
                    },
                    "required": ["code", "name"],
                },
            },
            "replaced_on": {
                "type": ["string", "null"],
                "format": "date",
                "description": "The day they took over (null if not abolished)",
            },
            "recorded": RECORDED,
            "links": {"type": "object", "additionalProperties": {"type": "string"}},
        },
        "required": [
            "code",
            "name",
            "level",
            "dfe_number",
            "ofsted_urn",
            "region",
            "status",
        ],
    },
    "Source": {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "kind": {"type": "string"},
            "title": {"type": "string"},
            "publisher": {"type": "string"},
            "url": TEXT_OR_NULL,
            "published": nullable(ref("Effective")),
            "licence": TEXT_OR_NULL,
            "note": TEXT_OR_NULL,
            "recorded": RECORDED,
            "links": {"type": "object", "additionalProperties": {"type": "string"}},
        },
        "required": ["id", "kind", "title", "publisher", "url", "published"],
    },
    "State": {
        "type": "object",
        "properties": {
            "rating": nullable(ref("Fact")),
            "latest_graded_rating": nullable(ref("Fact")),
            "office_holders": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "role": {"type": "string"},
                        "person": {"type": "string"},
                        "status": {
                            "type": "string",
                            "enum": [
                                "in_post",
                                "succeeded",
                                "left",
                                "not_reported_since",
                            ],
                        },
                        "in_post": {"type": "boolean"},
                        "since": TEXT_OR_NULL,
                        "until": TEXT_OR_NULL,
                        "last_reported": TEXT_OR_NULL,
                        "ended_by": TEXT_OR_NULL,
                        "fact": ref("Fact"),
                    },
                    "required": [
                        "role",
                        "person",
                        "status",
                        "in_post",
                        "since",
                        "until",
                        "last_reported",
                        "fact",
                    ],
                },
            },
            "also_named": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "role": {"type": "string"},
                        "person": {"type": "string"},
                        "last_reported": {"type": "string"},
                        "fact": ref("Fact"),
                    },
                    "required": ["role", "person", "last_reported", "fact"],
                },
            },
            "counts": {"type": "object", "additionalProperties": ref("Fact")},
            "targets": {"type": "object", "additionalProperties": ref("Fact")},
            "money": {
                "type": "object",
                "additionalProperties": {
                    "type": "object",
                    "properties": {"current": ref("Fact"), "total": {"type": "object"}},
                    "required": ["current", "total"],
                },
            },
            "intervention": nullable(ref("Fact")),
            "milestones": {"type": "array", "items": ref("Fact")},
            "facts": {"type": "integer"},
            "rule": {"type": "string"},
        },
        "required": [
            "rating",
            "office_holders",
            "counts",
            "targets",
            "money",
            "intervention",
            "milestones",
            "facts",
            "rule",
        ],
    },
    "Event": {
        "type": "object",
        "properties": {
            "position": {"type": "integer"},
            "event_id": {"type": "string", "format": "uuid"},
            "type": {"type": "string"},
            "aggregate_id": {"type": "string"},
            "version": {"type": "integer"},
            "recorded_at": {"type": "string"},
            "data": {"type": "object"},
        },
        "required": [
            "position",
            "event_id",
            "type",
            "aggregate_id",
            "version",
            "recorded_at",
            "data",
        ],
    },
    "Problem": {
        "type": "object",
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
            "instance": {"type": "string"},
            "errors": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "field": TEXT_OR_NULL,
                        "message": {"type": "string"},
                    },
                    "required": ["field", "message"],
                },
            },
            "log_position": {"type": "integer"},
        },
        "required": ["type", "title", "status", "detail"],
    },
    "WriteReceipt": {
        "type": "object",
        "properties": {
            "fact_id": {"type": "string", "format": "uuid"},
            "created": {"type": "boolean"},
            "position": {"type": "integer"},
            "fact": ref("Fact"),
            "versions": {"type": "array", "items": ref("Fact")},
            "links": {"type": "object"},
        },
        "required": ["fact_id", "created", "position"],
    },
    "Comparison": {
        "type": "object",
        "properties": {
            "code": {"type": "string"},
            "name": TEXT_OR_NULL,
            "fact": nullable(ref("Fact")),
            "rank": {
                "type": ["integer", "null"],
                "description": "Its place in England for the measure that day, "
                "highest first (null for England and for no figure)",
            },
            "rate_rank": {
                "type": ["integer", "null"],
                "description": "Its place by rate per 10,000 children, where the "
                "authority's figure has a rate",
            },
        },
        "required": ["code", "name", "fact", "rank"],
    },
    "Rank": {
        "type": "object",
        "properties": {
            "rank": {"type": ["integer", "null"]},
            "of": {"type": "integer"},
            "order": {"type": "string", "enum": ["highest first"]},
        },
        "required": ["rank", "of", "order"],
    },
    "SourceBody": {
        "type": "object",
        "description": "A source to register. Without an id, one is derived from "
        "the publisher, the publication date and the title's first words "
        "(blackpool-gazette-2023-07-big-reduction-number-children).",
        "properties": {
            # An optional field sent as null is taken as absent.
            "id": nullable({"type": "string", "pattern": SLUG}),
            "kind": {"type": "string", "enum": [k.value for k in SourceKind]},
            "title": text_schema(300),
            "publisher": text_schema(200),
            "url": nullable(
                {"type": "string", "pattern": URL_PATTERN, "maxLength": 2000}
            ),
            "published": nullable(
                {
                    "type": "string",
                    "pattern": DATE_PATTERN,
                    "description": "ISO 8601, to a year, a month or a day",
                }
            ),
            "approximate": {
                "type": "boolean",
                "description": "the publication date is inferred or loose",
            },
            "licence": nullable(text_schema(200)),
            "note": nullable(text_schema(1000)),
        },
        "required": ["kind", "title", "publisher"],
        "additionalProperties": False,
    },
    "SourceReceipt": {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "created": {"type": "boolean"},
            "position": {"type": "integer"},
            "source": ref("Source"),
            "links": {"type": "object", "additionalProperties": {"type": "string"}},
        },
        "required": ["id", "created", "position", "source", "links"],
    },
    "Correction": correction_schema(),
    "Retraction": {
        "type": "object",
        "properties": {"reason": {"type": "string", "minLength": 1, "maxLength": 500}},
        "required": ["reason"],
        "additionalProperties": False,
    },
}
for _spec in KINDS.values():
    SCHEMAS[_spec.event + "Body"] = fact_body_schema(_spec)
SCHEMAS.update(PROPOSAL_SCHEMAS)

FACT_BODY = {"oneOf": [ref(spec.event + "Body") for spec in KINDS.values()]}
