"""Operations: the health endpoint and the structured (JSON lines) log of changes and refusals."""
