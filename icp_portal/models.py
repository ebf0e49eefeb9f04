"""The portal itself has no models: the audit log is the audit app's, the PDF accessibility checks
meetings'. Its migrations remain, recording where they came from."""
