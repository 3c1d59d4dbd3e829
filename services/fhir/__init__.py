"""FHIR R4 export and import: instruments, clients, episodes and ratings as FHIR resources."""
