volatile int twin_sink;
int run_a(int x);
int run_b(int x);

int main(int argc, char **argv) {
    (void) argv;
    return run_a(argc) + run_b(argc);
}
