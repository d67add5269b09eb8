// mimalloc keeps freed memory in the process for the next allocation instead of handing it back
// to the kernel and faulting it in again: with the system allocator the 5-million-row model spent
// about half its time in page faults (0.76 s against 0.51 s, docs/SCALE.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(khuyencong::commands::main());
}
