"""Report shell: runs notebooks with papermill, renders cards, writes outputs atomically."""
