"""Builders of test data: valid bodies by default, overridden field by field."""

from __future__ import annotations

from typing import Any

BLACKPOOL = "E06000009"
SOURCE = "test-gazette-2023-07"


def authority_body(**overrides: Any) -> dict[str, Any]:
    return {
        "code": BLACKPOOL,
        "name": "Blackpool",
        "dfe_number": "890",
        "ofsted_urn": "80431",
        "region": "North West",
        **overrides,
    }


def source_body(**overrides: Any) -> dict[str, Any]:
    return {
        "source_id": SOURCE,
        "kind": "news",
        "title": "A test article about children in care",
        "publisher": "Test Gazette",
        "url": "https://news.example/test-article",
        "published": "2023-07",
        **overrides,
    }


def count_body(**overrides: Any) -> dict[str, Any]:
    return {
        "kind": "count_reported",
        "authority": BLACKPOOL,
        "source": SOURCE,
        "effective": "2023-07",
        "measure": "children_in_care",
        "value": 540,
        **overrides,
    }


def rating_body(**overrides: Any) -> dict[str, Any]:
    return {
        "kind": "rating_given",
        "authority": BLACKPOOL,
        "source": SOURCE,
        "effective": "2019-01-17",
        "judgement": "inadequate",
        "framework": "ilacs",
        **overrides,
    }


def grant_body(**overrides: Any) -> dict[str, Any]:
    return {
        "kind": "grant_received",
        "authority": BLACKPOOL,
        "source": SOURCE,
        "effective": "2023-07",
        "amount": "764000.00",
        "funder": "Department for Education",
        **overrides,
    }


def appointment_body(**overrides: Any) -> dict[str, Any]:
    return {
        "kind": "office_holder_appointed",
        "authority": BLACKPOOL,
        "source": SOURCE,
        "effective": "2021-04",
        "role": "director_of_childrens_services",
        "person": "Victoria Gent",
        **overrides,
    }


def statistics_source_body(**overrides: Any) -> dict[str, Any]:
    return {
        "source_id": "test-ofsted-outcomes",
        "kind": "statistics",
        "title": "Test inspection outcomes",
        "publisher": "Ofsted",
        "url": "https://stats.example/outcomes",
        "published": "2025-09-25",
        "licence": "Open Government Licence v3.0",
        **overrides,
    }
