"""The audit trail: who changed which answer, score, file or state, when, from what to what."""
