namespace Lineage.Tests.Generators;

/// <summary>Grain code the generator is run on, as source text.</summary>
internal static class Fixtures
{
    /// <summary>A bit of everything the generator must support, interfaces and grain classes in one assembly.</summary>
    public const string Valid = """
        using System.Threading;
        using System.Threading.Tasks;
        using Lineage.Runtime;
        using Lineage.Runtime.Persistence;
        using Microsoft.Extensions.DependencyInjection;

        namespace Sample;

        public interface IClock
        {
            long Now { get; }
        }

        public enum Mode
        {
            Fast,
            Careful = 7,
        }

        public sealed class CounterState
        {
            public int Value { get; set; }
        }

        public interface ICounterGrain : IGrainWithStringKey
        {
            Task<int> Add(int value);

            Task<int> Add(int left, int right);

            ValueTask<string?> Describe(string? prefix, CancellationToken cancellationToken = default);

            Task Reset();

            ValueTask Touch();

            [ReadOnly]
            Task<int> Get();

            [AlwaysInterleave]
            ValueTask<long> Ping(params long[] values);

            [OneWay]
            Task Fire(string message = "hi");

            [OneWay]
            ValueTask FireAndForget();

            [ReadOnly, AlwaysInterleave]
            Task<(int Count, string? Label)> Snapshot();

            // Names that would clash with the proxy's base class, its locals or C# keywords.
            Task Invoke(int request, string @class);

            Task<GrainId> GrainId();

            Task @checked(int @base);

            static int Helper() => 42;

            Task<int> WithDefaultBody() => Task.FromResult(1);
        }

        public interface IReportingGrain : IGrainWithGuidKey
        {
            Task<string[]> Report(Mode mode = Mode.Careful, double factor = 1.5, decimal price = 2.25m, char separator = ',', bool verbose = true);
        }

        public sealed class CounterGrain : Grain, ICounterGrain
        {
            private readonly IPersistentState<CounterState> _state;

            public CounterGrain(
                [PersistentState("counter", "store")] IPersistentState<CounterState> state,
                [PersistentState("shadow")] IPersistentState<CounterState> shadow,
                IGrainActivationContext context,
                [FromKeyedServices("utc")] IClock clock,
                IClock plainClock,
                Mode mode = Mode.Careful,
                int retries = 3,
                int? limit = null,
                string? label = null,
                string suffix = "!",
                CancellationToken token = default)
            {
                _state = state;
                _ = (shadow, context, clock, plainClock, mode, retries, limit, label, suffix, token);
            }

            public Task<int> Add(int value) => Task.FromResult(_state.State.Value += value);

            public Task<int> Add(int left, int right) => Task.FromResult(left + right);

            public ValueTask<string?> Describe(string? prefix, CancellationToken cancellationToken = default) => new(prefix);

            public Task Reset() => Task.CompletedTask;

            public ValueTask Touch() => default;

            public Task<int> Get() => Task.FromResult(_state.State.Value);

            public ValueTask<long> Ping(params long[] values) => new(values.Length);

            public Task Fire(string message = "hi") => Task.CompletedTask;

            public ValueTask FireAndForget() => default;

            public Task<(int Count, string? Label)> Snapshot() => Task.FromResult<(int, string?)>((1, null));

            public Task Invoke(int request, string @class) => Task.CompletedTask;

            Task<GrainId> ICounterGrain.GrainId() => Task.FromResult(GrainId);

            public Task @checked(int @base) => Task.CompletedTask;
        }

        [Reentrant]
        [GrainType("reports")]
        public sealed class ReportingGrain : Grain, IReportingGrain
        {
            public Task<string[]> Report(Mode mode = Mode.Careful, double factor = 1.5, decimal price = 2.25m, char separator = ',', bool verbose = true) =>
                Task.FromResult(new[] { mode.ToString() });
        }
        """;
}
