"""The user's server side of execution health: the telemetry endpoint, events and spool."""
