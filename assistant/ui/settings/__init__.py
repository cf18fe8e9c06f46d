"""The settings dialog, and the local API server the settings switch on."""
