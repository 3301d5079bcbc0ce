"""What the tests start and stop: the built streamvis-server, the Pub/Sub emulator, node helpers, producer processes."""
