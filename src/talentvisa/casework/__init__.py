"""K-visa applications as the authority runs them: accounts, the application workflow,
documents, officer findings and decisions, and a hash-chained audit log."""
