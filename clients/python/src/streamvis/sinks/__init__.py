"""Where encoded records go: a log file (file_sink) or Google Cloud Pub/Sub (pubsub_sink)."""
