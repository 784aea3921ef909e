import AvesaHost
import Glibc

// The `avesa-host` executable: everything lives in the AvesaHost module.
// A parent (for example Foundation's Process) may have started us with SIGTERM blocked;
// unblock every signal so graceful shutdown works (see PLATFORM_NOTES.md).
var allSignals = sigset_t()
sigfillset(&allSignals)
sigprocmask(SIG_UNBLOCK, &allSignals, nil)
// Keep freed response bodies in malloc's arenas instead of faulting fresh pages per page
// of records (see MallocTuning and bench/http-engine/README.md).
MallocTuning.applyForLargeBodies()
exit(AvesaCLI.run(Array(CommandLine.arguments.dropFirst()), context: .process()))
