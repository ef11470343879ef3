"""Analysis stage: values recognised once (money, percentages, periods, counts, parties), sentence spans,
the spaCy/jieba pipelines, and the cue matcher the checks and red flags share.
"""
