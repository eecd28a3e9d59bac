"""medkg: a knowledge graph of medical conditions, symptoms and procedures."""
