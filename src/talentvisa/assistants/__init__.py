"""talentvisa for AI assistants: the rules as Model Context Protocol tools and resources.

``tools`` says what each tool takes and returns (the CLI's ``--json`` documents, plus a
``for_the_user`` text); ``server`` speaks MCP over stdio and streamable HTTP.
"""
