"""The LLM draft backend (any OpenAI-compatible endpoint through ChatOpenAI), its prompt
templates with provenance, and the scripted fake chat model the tests use."""
