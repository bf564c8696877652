"""Who talks to Beacon: the `beacon` command line, the REST API, the server, the Chainlit chat and
copilot. The top layer: nothing below imports it."""
