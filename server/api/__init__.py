"""REST API: one blueprint per concern, all registered through ``registry.Api`` so that the
OpenAPI document (``GET /3/openapi.json``) lists every endpoint with its parameters."""
