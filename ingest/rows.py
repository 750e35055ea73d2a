"""Turn normalized events into per-table rows ready for a batch insert.

One :class:`RowBatch` collects the events of one file between two flushes. Usage rows are
priced here, once, so the stored cost and the price source that produced it travel together.
Every text field of every row is redacted here (:func:`ingest.redact.redact_row`: all string
columns but the file's own path), so no secret reaches the database;
the batch counts what it redacted, per kind.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import TYPE_CHECKING

from ingest.events import Message, Problem, SessionContext, ToolCall, ToolResult, Usage
from ingest.redact import redact_bytes, redact_row
from ingest.store import utc_now

if TYPE_CHECKING:
    from ingest.price_book import PriceBook


def _naive_utc(ts: datetime | None) -> datetime | None:
    return ts.replace(tzinfo=None) if ts is not None else None


class RowBatch:
    """Rows of one or more files, grouped by table, with the columns the store's tables expect.

    :meth:`switch_file` sets the file (and its agent and user) the following events come from.
    ``prices`` is the store's :class:`ingest.price_book.PriceBook`: usage rows it can price are
    priced from it, the others by the catalogue, which it then learns from.
    """

    def __init__(self, run_id: str, prices: PriceBook | None = None):
        self.run_id = run_id
        self.prices = prices
        self.source_path = ""
        self.agent = ""
        self.user_name = ""
        self.rows: dict[str, list[dict]] = {
            "messages": [],
            "usage": [],
            "tool_calls": [],
            "tool_results": [],
            "problems": [],
        }
        self.count = 0
        self.redactions: Counter = Counter()

    def switch_file(self, source_path: str, agent: str, user_name: str) -> None:
        self.source_path, self.agent, self.user_name = source_path, agent, user_name

    def fresh(self) -> RowBatch:
        """An empty batch continuing with the same file."""
        batch = RowBatch(self.run_id, self.prices)
        batch.switch_file(self.source_path, self.agent, self.user_name)
        return batch

    def __len__(self) -> int:
        return self.count

    def _common(self, ctx: SessionContext, pos) -> dict:
        return {
            "source_path": self.source_path,
            "line_no": pos.line_no,
            "byte_offset": pos.byte_offset,
            "seq": pos.seq,
            "agent": ctx.agent,
            "session_id": ctx.session_id,
            "subagent_id": ctx.subagent_id,
            "user_name": self.user_name,
            "run_id": self.run_id,
        }

    def add(self, event) -> None:
        self.count += 1
        if isinstance(event, Message):
            table, row = "messages", self._message(event)
        elif isinstance(event, Usage):
            table, row = "usage", self._usage(event)
        elif isinstance(event, ToolCall):
            table, row = "tool_calls", self._tool_call(event)
        elif isinstance(event, ToolResult):
            table, row = "tool_results", self._tool_result(event)
        elif isinstance(event, Problem):
            table, row = "problems", self._problem(event)
        else:
            raise TypeError(f"not an event: {type(event).__name__}")
        self.rows[table].append(redact_row(row, self.redactions))

    def _message(self, event: Message) -> dict:
        ctx = event.ctx
        row = self._common(ctx, event.pos)
        row.update(
            parent_session_id=ctx.parent_session_id,
            is_sidechain=ctx.is_sidechain,
            project=ctx.project,
            git_branch=ctx.git_branch,
            git_repo=ctx.git_repo,
            git_commit=ctx.git_commit,
            title=ctx.title,
            ts=_naive_utc(event.ts),
            role=event.role,
            kind=event.kind,
            record_type=event.record_type,
            model=event.model,
            text=event.text,
            uuid=event.uuid,
            parent_uuid=event.parent_uuid,
        )
        return row

    def _usage(self, event: Usage) -> dict:
        ctx = event.ctx
        row = self._common(ctx, event.pos)
        row.update(
            parent_session_id=ctx.parent_session_id,
            is_sidechain=ctx.is_sidechain,
            project=ctx.project,
            git_branch=ctx.git_branch,
            ts=_naive_utc(event.ts),
            model=event.model,
            input_tokens=event.input_tokens,
            output_tokens=event.output_tokens,
            cache_read_tokens=event.cache_read_tokens,
            cache_write_5m_tokens=event.cache_write_5m_tokens,
            cache_write_1h_tokens=event.cache_write_1h_tokens,
            reasoning_tokens=event.reasoning_tokens,
            estimated=event.estimated,
            dedup_key=event.dedup_key,
            message_uuid=event.message_uuid,
            speed=event.speed,
            reasoning_in_output=event.reasoning_in_output,
            model_assumed=event.model_assumed,
        )
        return row

    def _tool_call(self, event: ToolCall) -> dict:
        ctx = event.ctx
        row = self._common(ctx, event.pos)
        row.update(
            is_sidechain=ctx.is_sidechain,
            project=ctx.project,
            git_branch=ctx.git_branch,
            ts=_naive_utc(event.ts),
            call_id=event.call_id,
            name=event.name,
            input_json=event.input_json,
            command=event.command,
            file_path=event.file_path,
            old_text=event.old_text,
            new_text=event.new_text,
            patch=event.patch,
            message_uuid=event.message_uuid,
        )
        return row

    def _tool_result(self, event: ToolResult) -> dict:
        row = self._common(event.ctx, event.pos)
        row.update(
            ts=_naive_utc(event.ts),
            call_id=event.call_id,
            text=event.text,
            is_error=bool(event.is_error),
            exit_code=event.exit_code,
            duration_s=event.duration_s,
        )
        return row

    def _problem(self, event: Problem) -> dict:
        raw, found = redact_bytes(bytes(event.raw))
        self.redactions.update(found)
        return {
            "source_path": self.source_path,
            "line_no": event.pos.line_no,
            "byte_offset": event.pos.byte_offset,
            "agent": self.agent,
            "reason": event.reason,
            "raw": raw,
            "user_name": self.user_name,
            "run_id": self.run_id,
            "recorded_at": utc_now(),
        }

    def tables(self) -> dict[str, list[dict]]:
        """Rows per table name; usage rows gain ``cost_usd``, ``unpriced_reason``, ``price_source``."""
        usage = self.rows["usage"]
        if usage and (self.prices is None or not self.prices.price_rows(usage)):
            from ingest.pricing import price_usage_rows  # pandas and genai-prices: only once rows are priced

            price_usage_rows(usage)
            if self.prices is not None:
                self.prices.learn(usage)
        return {table: rows for table, rows in self.rows.items() if rows}
