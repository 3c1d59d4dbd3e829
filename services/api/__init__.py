"""The REST API (/api/v1/): per-service keys, the same access rules and audit as the pages."""
