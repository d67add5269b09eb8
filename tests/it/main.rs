//! One integration-test crate (each file under tests/ would link polars again).

mod ingest;
mod model;
mod model_more;
mod pipeline;
mod report;
mod sample;
