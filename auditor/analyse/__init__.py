"""Analysis stage: values recognised once (money, percentages, periods, counts, parties), sentence spans,
institutions (jieba and spaCy tokenization), and the cue matcher the checks and red flags share.
"""
