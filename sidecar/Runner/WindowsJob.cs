using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Sidecar.Runner;

/// <summary>
/// Windows: the runner joins a job object marked kill-on-close. Its children (and theirs) join it too, and when the
/// runner dies, however it dies, Windows closes the runner's handle and ends every process in the job.
/// </summary>
[SupportedOSPlatform("windows")]
internal static class WindowsJob
{
    private const int ExtendedLimitInformation = 9;
    private const uint KillOnJobClose = 0x2000;

    /// <summary>The job handle, kept open for the life of the process (closing it is what kills the children).</summary>
    private static IntPtr _job;

    /// <summary>Puts this process in a kill-on-close job; false when Windows refuses (the job's owner forbids nesting).</summary>
    public static bool KillChildrenWithThisProcess()
    {
        if (_job != IntPtr.Zero)
        {
            return true;
        }

        var job = NativeMethods.CreateJobObject(IntPtr.Zero, null);
        if (job == IntPtr.Zero)
        {
            return false;
        }

        var limits = new ExtendedLimits { BasicLimits = new BasicLimits { LimitFlags = KillOnJobClose } };
        var size = Marshal.SizeOf<ExtendedLimits>();
        if (!NativeMethods.SetInformationJobObject(job, ExtendedLimitInformation, ref limits, (uint)size)
            || !NativeMethods.AssignProcessToJobObject(job, NativeMethods.GetCurrentProcess()))
        {
            NativeMethods.CloseHandle(job);
            return false;
        }

        _job = job;
        return true;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct BasicLimits
    {
        public long PerProcessUserTimeLimit;
        public long PerJobUserTimeLimit;
        public uint LimitFlags;
        public UIntPtr MinimumWorkingSetSize;
        public UIntPtr MaximumWorkingSetSize;
        public uint ActiveProcessLimit;
        public UIntPtr Affinity;
        public uint PriorityClass;
        public uint SchedulingClass;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct IoCounters
    {
        public ulong ReadOperationCount;
        public ulong WriteOperationCount;
        public ulong OtherOperationCount;
        public ulong ReadTransferCount;
        public ulong WriteTransferCount;
        public ulong OtherTransferCount;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct ExtendedLimits
    {
        public BasicLimits BasicLimits;
        public IoCounters IoInfo;
        public UIntPtr ProcessMemoryLimit;
        public UIntPtr JobMemoryLimit;
        public UIntPtr PeakProcessMemoryUsed;
        public UIntPtr PeakJobMemoryUsed;
    }

    private static class NativeMethods
    {
        [DllImport("kernel32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
        public static extern IntPtr CreateJobObject(IntPtr attributes, string? name);

        [DllImport("kernel32.dll", SetLastError = true)]
        [return: MarshalAs(UnmanagedType.Bool)]
        public static extern bool SetInformationJobObject(IntPtr job, int infoClass, ref ExtendedLimits info, uint length);

        [DllImport("kernel32.dll", SetLastError = true)]
        [return: MarshalAs(UnmanagedType.Bool)]
        public static extern bool AssignProcessToJobObject(IntPtr job, IntPtr process);

        [DllImport("kernel32.dll")]
        public static extern IntPtr GetCurrentProcess();

        [DllImport("kernel32.dll", SetLastError = true)]
        [return: MarshalAs(UnmanagedType.Bool)]
        public static extern bool CloseHandle(IntPtr handle);
    }
}
