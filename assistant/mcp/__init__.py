"""The MCP server: the loaded exports as read-only tools, resources and prompts for MCP clients."""
