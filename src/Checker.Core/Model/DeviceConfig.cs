using Checker.Vocabulary;

namespace Checker.Model;

/// <summary>A shared-table device: its driver's range arithmetic and whether it keeps an entry on a fault.</summary>
public readonly record struct DeviceConfig(DriverFlavor Flavor, bool KeepsEntryOnFault);
