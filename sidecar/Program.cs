// Entry point: the CLI (`run -f`, or a single sidecar shaped like daprd) lives in Cli/.
return await Sidecar.Cli.SidecarCommandLine.RunAsync(args);
