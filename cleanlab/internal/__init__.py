"""Private building blocks shared by the public modules; not a public API."""
