import AvesaHost
import Glibc

// The `avesa-host` executable: everything lives in the AvesaHost module.
exit(AvesaCLI.run(Array(CommandLine.arguments.dropFirst()), context: .process()))
