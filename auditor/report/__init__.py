"""Report stage: an `AuditReport` shaped for people and tools (text, Markdown, JSON, CSV/XLSX summaries,
heatmaps, HTML evidence for the desk, annotated Word files). Nothing here computes a status.
"""
