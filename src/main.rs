fn main() {
    std::process::exit(khuyencong::cli::main());
}
