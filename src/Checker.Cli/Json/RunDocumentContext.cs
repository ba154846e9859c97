using System.Text.Json.Serialization;

namespace Checker.Cli.Json;

/// <summary>
/// The source-generated (de)serializer of <see cref="RunDocument"/>: no reflection, so it works trimmed and
/// under Native AOT. Reading is strict: every constructor parameter must be present (an optional one may be
/// left out) and nothing declared non-null may be null, so a document <c>merge</c> accepts has every field it reads.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(RunDocument))]
internal sealed partial class RunDocumentContext : JsonSerializerContext;
