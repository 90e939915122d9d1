"""A unit's self-assessment: answers, evidence, submit and reopen."""
