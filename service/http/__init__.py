"""The HTTP interface: routes by resource, one JSON encoder, one error mapping."""
