"""A trusted table as generations of parquet files, and how a run chooses and publishes its own.

`trusted/<source>/_year=<Y>/<generation>.<mode>.<n>.parquet`. A full build (`full`) replaces the whole
folder; an increment (`incremental`) adds change files for the years its rows fall in, next to the
files already there. Readers merge the generations (the latest version of a key wins, by the
catalogue's survivor order) and a full build folds them in again once the change files outgrow
`compact_ratio` of the last full build (never when it is None), so a 1% update writes about 1% of the table.
A generation is named by the latest raw batch it applies, so a rerun of the same batches replaces
its own files, and files left by an interrupted run for batches still pending are removed. Rows the
publisher deleted (raw files of kind `deletions`: their `_row_id`s) leave the table through a full build
that skips them; so does a change of the catalogue's cleaning rules (`rebuild`, the reason).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spark_jobs.lake_files import LakeFile, LakeFiles

ROWS, DELETIONS = "rows", "deletions"  # what a raw file holds (orchestration/lake.py)


@dataclass(frozen=True)
class Plan:
    """What one run does to one source's trusted table."""

    mode: str  # `full` (rebuild from every committed raw file), `incremental` (pending batches) or `none`
    why: str
    raw_files: list[str]
    batches: list[str]  # the batches this run applies
    generation: str  # names the trusted files this run writes: its latest batch id
    deletion_files: list[str] = field(default_factory=list)  # `_row_id`s to leave out (full builds)

    @classmethod
    def choose(cls, job: dict, existing: list[LakeFile], full_refresh: bool, compact_ratio: float | None) -> Plan:
        """Incremental while the change files stay small next to the last full build, else a full build."""
        pending = set(job["pending_batches"])
        current = [f for f in existing if generation_of(f) not in pending]  # others: an interrupted run's
        full_bytes = sum(f.size for f in current if mode_of(f) == "full")
        change_bytes = sum(f.size for f in current if mode_of(f) == "incremental")
        rows = [f for f in job["raw_files"] if f.get("kind", ROWS) == ROWS]
        deletions = [f for f in job["raw_files"] if f.get("kind", ROWS) == DELETIONS]
        if job["spec"]["snapshot"] and (pending or full_refresh or not full_bytes):
            why = "a snapshot replaces the previous one"
        elif full_refresh:
            why = "full refresh requested"
        elif not full_bytes:
            why = "first build"
        elif job.get("rebuild"):
            why = job["rebuild"]
        elif any(f["batch_id"] in pending for f in deletions):
            why = "rows deleted upstream"
        elif compact_ratio is not None and change_bytes > compact_ratio * full_bytes:
            why = f"compaction: change files are {change_bytes / full_bytes:.0%} of the full build"
        elif not pending:
            return cls("none", "no new batches", [], [], "")
        else:
            files = [f["uri"] for f in rows if f["batch_id"] in pending]
            return cls("incremental", f"{len(pending)} new batches", files, sorted(pending), max(pending))
        batches = sorted({f["batch_id"] for f in job["raw_files"]})
        generation = max(batches, default="empty")
        return cls("full", why, [f["uri"] for f in rows], batches, generation, [f["uri"] for f in deletions])


def generation_of(file: LakeFile) -> str:
    return file.name.split(".", 1)[0]


def mode_of(file: LakeFile) -> str:
    parts = file.name.split(".")
    return parts[1] if len(parts) > 3 else "unknown"


def trusted_file_name(plan: Plan, index: int) -> str:
    """`<generation>.<mode>.<index>.parquet`: readers merge generations, the latest version of a key wins."""
    return f"{plan.generation}.{plan.mode}.{index:05d}.parquet"


def publish_trusted(files: LakeFiles, staged: str, trusted_dir: str, plan: Plan) -> list[LakeFile]:
    """Move the staged files in: a full build replaces the folder, an increment adds its change files."""
    written = files.list(staged, ".parquet")
    targets = [f"{f.relative.rsplit('/', 1)[0]}/{trusted_file_name(plan, i)}" for i, f in enumerate(written)]
    if plan.mode == "full":
        for file, target in zip(written, targets, strict=True):
            files.move(file.path, f"{staged}/{target}")
        retired = f"{staged}.retired"
        if files.exists(trusted_dir):
            files.move(trusted_dir, retired)
        files.move(staged, trusted_dir)
        files.delete(retired)
    else:
        for stale in files.list(trusted_dir, ".parquet"):  # an interrupted run's files for these batches
            if generation_of(stale) in plan.batches:
                files.delete(stale.path)
        for file, target in zip(written, targets, strict=True):
            files.move(file.path, f"{trusted_dir}/{target}")
    return files.list(trusted_dir, ".parquet")


def publish_quarantine(files: LakeFiles, staged: str, quarantine_dir: str, plan: Plan) -> None:
    """`batch=<id>/` folders: a full build replaces them all, an increment those of its batches."""
    if plan.mode == "full":
        files.delete(quarantine_dir)
    for batch in plan.batches:
        files.delete(f"{quarantine_dir}/batch={batch}")
    for folder in files.folders(staged):
        files.move(f"{staged}/{folder}", f"{quarantine_dir}/{folder}")


def table_figures(trusted_files: list[LakeFile], trusted_dir: str) -> dict:
    return {
        "trusted_path": trusted_dir,
        "trusted_files": len(trusted_files),
        "trusted_generations": len({generation_of(f) for f in trusted_files}),
        "trusted_bytes": sum(f.size for f in trusted_files),
    }


# The counts of a run, all zero when it applied nothing to a table.
RUN_COUNTS = (
    "batches_applied",
    "raw_files",
    "deletion_files",
    "rows_in",
    "rows_trusted",
    "rows_quarantined",
    "rows_superseded",
    "null_keys",
    "duplicate_keys",
)


def idle_figures(trusted_files: list[LakeFile], trusted_dir: str) -> dict:
    """What a run that applied nothing to a table reports: zero counts, and what the table holds."""
    return {**dict.fromkeys(RUN_COUNTS, 0), **table_figures(trusted_files, trusted_dir)}
