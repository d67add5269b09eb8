//! One integration-test crate (each file under tests/ would link polars again).

mod common;
mod house;
mod ingest;
mod ingest_boundary;
mod ingest_layouts;
mod ingest_real;
mod model;
mod model_more;
mod pipeline;
mod real;
mod refresh;
mod report;
mod report_fixture;
mod report_run;
mod sample;
