"""A tiny Pipes job for the packaged-Java test: starts Spark as the trusted-zone job does and reports the Java
it runs on, and the rows of a parquet file it wrote (to the folder given as the probe's extra `planted`) and
read back."""

from __future__ import annotations

from spark_jobs.clean_source import spark_session
from spark_jobs.pipes_channel import open_pipes


def main() -> None:
    with open_pipes() as pipes:
        spark = spark_session("java-probe")
        system = spark.sparkContext._jvm.System
        groups = spark.range(1000).selectExpr("id % 7 as k", "sha2(uuid(), 256) as h").groupBy("k").count()
        groups.write.mode("overwrite").parquet(pipes.get_extra("planted"))
        pipes.report_asset_materialization(
            metadata={
                "java_home": system.getProperty("java.home"),
                "java_version": system.getProperty("java.version"),
                "groups": spark.read.parquet(pipes.get_extra("planted")).count(),
            }
        )
        spark.stop()


if __name__ == "__main__":
    main()
