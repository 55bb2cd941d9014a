"""The MCP server: talentvisa's tools and rule texts for AI assistants.

One server, two transports: stdio for desktop assistants (``talentvisa mcp``) and
streamable HTTP at ``/mcp`` on the web app (``talentvisa serve``). It is stateless (no
session, nothing stored) and reads only the programme files shipped with talentvisa.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, Final
from urllib.parse import parse_qs, urlsplit

import anyio
import mcp_types as types
from mcp.server import Server, ServerRequestContext
from mcp.server.stdio import stdio_server
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from mcp.shared.exceptions import MCPError
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from talentvisa.assistants.tools import READING, TOOLS, ToolFailure, call, failure_document
from talentvisa.explain import Lang
from talentvisa.profile import Profile
from talentvisa.rules.loader import builtin_programs
from talentvisa.rules.render import program_markdown

PROGRAM_URI: Final = "talentvisa://programs/{id}"
SCHEMA_URI: Final = "talentvisa://schema/profile"
INSTRUCTIONS: Final = (
    "talentvisa answers questions about skilled-talent visas (China's K visa, the US H-1B, "
    "Germany's Opportunity Card and EU Blue Card, South Korea's tech-talent visas, New "
    "Zealand's Skilled Migrant Category) from cited, dated rules. Start from what the person "
    "has told you (a partial profile is fine), call next_question and ask them what it says "
    "until it returns no question, then check and compare. " + READING
)


def _json(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False)


async def _list_tools(
    ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
) -> types.ListToolsResult:
    return types.ListToolsResult(
        tools=[
            types.Tool(
                name=t.name,
                title=t.title,
                description=t.description,
                input_schema=t.input_schema(),
                output_schema=t.output_schema(),
                annotations=types.ToolAnnotations(
                    read_only_hint=True, idempotent_hint=True, open_world_hint=False
                ),
            )
            for t in TOOLS.values()
        ]
    )


async def _call_tool(
    ctx: ServerRequestContext[Any], params: types.CallToolRequestParams
) -> types.CallToolResult:
    if params.name not in TOOLS:
        raise MCPError(types.INVALID_PARAMS, f"no tool {params.name!r}; known: {', '.join(TOOLS)}")
    arguments = params.arguments or {}
    try:
        # The rules are plain Python and some searches take a while: off the event loop,
        # so one slow call does not hold up the others.
        document = await anyio.to_thread.run_sync(call, params.name, arguments)
    except ToolFailure as failure:
        lang: Lang = "zh" if arguments.get("lang") == "zh" else "en"
        error = failure_document(failure, lang)
        return types.CallToolResult(
            content=[types.TextContent(text=_json(error))], structured_content=error, is_error=True
        )
    return types.CallToolResult(
        content=[types.TextContent(text=_json(document))], structured_content=document
    )


def _program_uri(program_id: str) -> str:
    return PROGRAM_URI.format(id=program_id)


async def _list_resources(
    ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
) -> types.ListResourcesResult:
    programs = [
        types.Resource(
            uri=_program_uri(p.id),
            name=p.id,
            title=p.name.get("en"),
            description=f"The rules of {p.name.get('en')} as readable text, with quoted sources.",
            mime_type="text/markdown",
        )
        for p in builtin_programs().values()
    ]
    schema = types.Resource(
        uri=SCHEMA_URI,
        name="profile-schema",
        title="Profile schema",
        description="The JSON Schema of a profile: every fact the rules can read.",
        mime_type="application/schema+json",
    )
    return types.ListResourcesResult(resources=[schema, *programs])


async def _list_templates(
    ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
) -> types.ListResourceTemplatesResult:
    return types.ListResourceTemplatesResult(
        resource_templates=[
            types.ResourceTemplate(
                uri_template=PROGRAM_URI,
                name="program",
                title="A programme's rules",
                description="A programme's rules in force today as readable text (Markdown), "
                "each criterion with its citation and quoted passage; ids from the programs "
                "tool. Add ?lang=zh for Chinese.",
                mime_type="text/markdown",
            )
        ]
    )


async def _read_resource(
    ctx: ServerRequestContext[Any], params: types.ReadResourceRequestParams
) -> types.ReadResourceResult:
    uri = str(params.uri)
    if uri == SCHEMA_URI:
        text, mime = _json(Profile.model_json_schema()), "application/schema+json"
    else:
        parts = urlsplit(uri)
        program = None
        if (parts.scheme, parts.netloc) == ("talentvisa", "programs"):
            program = builtin_programs().get(parts.path.removeprefix("/"))
        lang: Lang = "zh" if parse_qs(parts.query).get("lang") == ["zh"] else "en"
        if program is None:
            raise MCPError(types.INVALID_PARAMS, f"no resource {uri!r}")
        text, mime = program_markdown(program, dt.date.today(), lang), "text/markdown"
    return types.ReadResourceResult(
        contents=[types.TextResourceContents(uri=uri, mime_type=mime, text=text)]
    )


def build() -> Server[Any]:
    """A fresh server; it holds nothing between calls."""
    return Server(
        "talentvisa",
        version=importlib.metadata.version("talentvisa"),
        title="talentvisa",
        description="Skilled-talent visa rules as code, cited and dated.",
        instructions=INSTRUCTIONS,
        on_list_tools=_list_tools,
        on_call_tool=_call_tool,
        on_list_resources=_list_resources,
        on_list_resource_templates=_list_templates,
        on_read_resource=_read_resource,
    )


async def serve_stdio() -> None:
    server = build()
    async with stdio_server() as (read, write):
        await server.run(read, write, server.create_initialization_options())


class _HttpEndpoint:
    """The ASGI endpoint at /mcp: a fresh session manager for each run of the app's
    lifespan (a manager runs once), and a plain 503 outside one."""

    def __init__(self) -> None:
        self.server = build()
        self.manager: StreamableHTTPSessionManager | None = None

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        self.manager = StreamableHTTPSessionManager(self.server, stateless=True, json_response=True)
        try:
            async with self.manager.run():
                yield
        finally:
            self.manager = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.manager is None:
            response = PlainTextResponse("MCP is served while the app runs", status_code=503)
            await response(scope, receive, send)
            return
        await self.manager.handle_request(scope, receive, send)


def mount(app: Starlette, path: str = "/mcp") -> None:
    """Answer MCP over streamable HTTP at ``path`` on ``app``: stateless (no session, nothing
    kept between requests), JSON responses, run by ``app``'s lifespan, so the web app and the
    assistants share one process and one set of rules."""
    endpoint = _HttpEndpoint()
    app.router.routes.insert(0, Route(path, endpoint=endpoint))
    outer: Callable[[Any], AbstractAsyncContextManager[Any]] = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(a: Any) -> AsyncIterator[Any]:
        async with endpoint.running(), outer(a) as state:
            yield state

    app.router.lifespan_context = lifespan
