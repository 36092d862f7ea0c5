"""Plan 12's co-creation system: calls, rounds, invitations, the trends worksheet and its analysis."""
