"""Where answers come from: the interview, answers files, drafts."""
