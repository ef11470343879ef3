"""The negotiation round: a contract's suggested clauses as tracked changes in the user's own Word file
(`redline`), and two drafts compared clause by clause with the audit of each (`align`, `compare`).
"""
