"""Review positions: playbooks (a team's thresholds, wording and required items), the side the review
takes (client or provider) and the contract type that proposes a playbook.
"""
