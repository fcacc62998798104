"""Financial analysis: statements by period, ratios and their trend, credit limits (issue 6)."""
