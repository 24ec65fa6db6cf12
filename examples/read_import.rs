//! Reads an export the way `quarterdeck import` does and says how many
//! items it gave and how long it took; with `generate`, writes the bench's
//! large Jira CSV first. For measuring peak memory of the streaming
//! readers (`/usr/bin/time -v`, docs/benchmarks.md):
//!
//! ```sh
//! cargo run --release --example read_import -- generate 100000 /tmp/jira.csv
//! /usr/bin/time -v target/release/examples/read_import jira-csv /tmp/jira.csv
//! ```

#![allow(clippy::unwrap_used)]

#[path = "../benches/import_data/mod.rs"]
mod import_data;

use std::{fs::File, io::BufReader, path::Path, time::Instant};

use clap::ValueEnum;
use quarterdeck::import::{Source, read};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [generate, rows, path] if generate == "generate" => {
            import_data::write_jira_csv(Path::new(path), rows.parse().unwrap());
        }
        [source, path] => {
            let source = Source::from_str(source, true).unwrap();
            let started = Instant::now();
            let (mut items, mut errors) = (0_usize, 0_usize);
            let results = read(source, BufReader::new(File::open(path).unwrap())).unwrap_or_else(|error| {
                eprintln!("{path}: {error}");
                std::process::exit(1)
            });
            for result in results {
                match result {
                    Ok(_) => items += 1,
                    Err(error) => {
                        errors += 1;
                        eprintln!("{path}: {error}");
                    }
                }
            }
            println!("{items} items, {errors} errors in {:?}", started.elapsed());
        }
        _ => eprintln!("usage: read_import generate ROWS PATH | read_import jira-csv|linear-csv|taskwarrior PATH"),
    }
}
