fn main() {
    std::process::exit(khuyencong::commands::main());
}
