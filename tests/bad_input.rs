//! The bad-input suite of #18: one table of cases, each its own test, each
//! running the real binary (the board in a pseudo-terminal, `present`, the
//! command line's reads, `import`) on what a user or another program could
//! hand it. Each refusal names the file or field (with line and column where
//! the format has them) and says what to do, exits with the documented code,
//! never panics or hangs (every run has a deadline), and leaves every file
//! in the folder byte-identical, `-wal` and `-shm` included: none changes,
//! none appears, none disappears. docs/reliability.md ("Bad input") lists
//! the same table.

#![allow(clippy::unwrap_used)]

#[path = "bad_input/files.rs"]
mod files;
#[path = "bad_input/harness.rs"]
mod harness;
#[path = "bad_input/hostile.rs"]
mod hostile;
#[path = "bad_input/imports.rs"]
mod imports;
#[path = "bad_input/plans.rs"]
mod plans;
#[path = "bad_input/rows.rs"]
mod rows;
#[path = "bad_input/terminal.rs"]
mod terminal;

/// Each row `module::case` becomes `#[test] fn case`.
macro_rules! cases {
    ($($module:ident :: $case:ident,)*) => {
        $(
            #[test]
            fn $case() {
                $module::$case();
            }
        )*
    };
}

cases! {
    // Board files: exit 2 from every opener, the folder unchanged.
    files::a_text_file,
    files::a_png_image,
    files::another_programs_sqlite,
    files::a_truncated_board,
    files::flipped_bytes_in_each_page,
    files::a_board_of_a_newer_quarterdeck,
    files::a_read_only_file,
    files::a_board_in_a_read_only_folder,
    files::a_folder_given_as_the_board,
    files::a_fifo_given_as_the_board,
    files::a_dangling_symlink,
    files::an_empty_file,
    // Plan files (`import FILE`): exit 1 at file:line:column.
    plans::the_plan_the_cases_break_imports,
    plans::plan_syntax_error,
    plans::plan_unknown_key,
    plans::plan_wrong_type,
    plans::plan_impossible_date,
    plans::plan_sprint_ending_before_it_starts,
    plans::plan_overlapping_sprints,
    plans::plan_kr_start_equals_target,
    plans::plan_negative_points,
    plans::plan_duplicate_codes,
    plans::plan_duplicate_item_numbers,
    plans::plan_dangling_code,
    plans::plan_not_utf8,
    plans::plan_refused_on_a_new_board_path_makes_no_file,
    // Settings and keymap files: the board and `present` exit 1.
    plans::settings_syntax_error,
    plans::settings_unknown_key,
    plans::settings_wrong_type,
    plans::settings_not_utf8,
    plans::keymap_syntax_error,
    plans::keymap_unknown_key,
    plans::keymap_wrong_type,
    // Other tools' exports (`import --from`): exit 1 at the line.
    imports::jira_broken_quoting,
    imports::jira_wrong_header,
    imports::jira_empty_file,
    imports::jira_not_utf8,
    imports::linear_broken_quoting,
    imports::linear_wrong_header,
    imports::linear_empty_file,
    imports::linear_not_utf8,
    imports::taskwarrior_broken_quoting,
    imports::taskwarrior_wrong_shape,
    imports::taskwarrior_empty_file,
    imports::taskwarrior_not_utf8,
    imports::a_50_mb_export,
    // Rows other tools left in the board: read, shown cleaned, named.
    rows::row_title_not_utf8,
    rows::row_huge_points,
    rows::row_text_in_a_number_column,
    rows::row_real_in_an_integer_column,
    rows::row_real_sprint_number,
    rows::row_check_in_date_not_a_date,
    rows::row_sprint_date_impossible,
    // Hostile text: inert on screen and in plain output, escaped elsewhere.
    hostile::hostile_text_on_the_board,
    hostile::hostile_text_in_plain_output,
    hostile::hostile_text_in_markdown,
    hostile::hostile_text_in_html,
    hostile::hostile_text_in_csv,
    // Terminals.
    terminal::a_1x1_terminal,
    terminal::a_20x5_terminal,
    terminal::a_burst_of_resizes,
}
