"""Pure rules and value types: no Qt, no SQL, no files beyond what callers hand in."""
