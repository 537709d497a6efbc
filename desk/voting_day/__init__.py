"""Voting day's situation room for the secretariat: the rounds, TPS status, turnout and problem TPS."""
