using TorchSharp;
using static TorchSharp.torch;

namespace Loom.Distributed.Tests;

/// <summary>
/// The facts <see cref="GradientBuffer"/> stands on, checked on TorchSharp 0.107 itself: backward accumulates
/// into a .grad that is a view of the flat buffer, in place; zeroing keeps the views; Module.zero_grad drops them.
/// </summary>
public sealed class GradientBufferTests
{
    // y = Σ (W x + b) over a batch of 4 ones: ∂/∂W = 4 everywhere, ∂/∂b = 4.
    static (nn.Module Model, List<TorchSharp.Modules.Parameter> Parameters) Linear()
    {
        var model = nn.Linear(3, 2);
        return (model, model.parameters().ToList());
    }

    static void Backward(nn.Module<Tensor, Tensor> model)
    {
        using var scope = NewDisposeScope();
        model.call(ones(4, 3)).sum().backward();
    }

    static float[] Flat(GradientBuffer buffer) => Assert.Single(buffer.Buffers).data<float>().ToArray();

    [Fact]
    public void Backward_accumulates_into_the_flat_buffer_in_place()
    {
        var (model, parameters) = Linear();
        using var buffer = new GradientBuffer(parameters);
        Assert.Equal(8, buffer.Count);
        Backward((nn.Module<Tensor, Tensor>)model);
        Assert.All(Flat(buffer), v => Assert.Equal(4f, v));
        Backward((nn.Module<Tensor, Tensor>)model);
        Assert.All(Flat(buffer), v => Assert.Equal(8f, v));
        Assert.Equal(0, buffer.Reattach());
    }

    [Fact]
    public void Zero_and_the_optimizers_zero_grad_keep_the_views()
    {
        var (model, parameters) = Linear();
        using var buffer = new GradientBuffer(parameters);
        Backward((nn.Module<Tensor, Tensor>)model);
        buffer.Zero();
        Assert.All(Flat(buffer), v => Assert.Equal(0f, v));
        Backward((nn.Module<Tensor, Tensor>)model);
        Assert.All(Flat(buffer), v => Assert.Equal(4f, v));
        foreach (var optimizer in new optim.Optimizer[] { new Loom.Optim.Sgd(parameters, 0.1, momentum: 0.9), optim.Adam(parameters), optim.AdamW(parameters) })
        {
            optimizer.zero_grad();
            Assert.All(Flat(buffer), v => Assert.Equal(0f, v));
            Backward((nn.Module<Tensor, Tensor>)model);
            Assert.All(Flat(buffer), v => Assert.Equal(4f, v));
        }
        Assert.Equal(0, buffer.Reattach());
    }

    [Fact]
    public void Module_zero_grad_drops_the_views_and_Reattach_copies_the_gradients_back()
    {
        var (model, parameters) = Linear();
        using var buffer = new GradientBuffer(parameters);
        Backward((nn.Module<Tensor, Tensor>)model);
        model.zero_grad();  // set_to_none: the views are gone
        Assert.Null(parameters[0].grad);
        Backward((nn.Module<Tensor, Tensor>)model);  // libtorch allocates fresh gradients elsewhere
        Assert.All(Flat(buffer), v => Assert.Equal(4f, v));  // the buffer still holds the old values
        Assert.Equal(2, buffer.Reattach());
        Assert.All(Flat(buffer), v => Assert.Equal(4f, v));
        Backward((nn.Module<Tensor, Tensor>)model);
        Assert.All(Flat(buffer), v => Assert.Equal(8f, v));  // views again
        model.zero_grad();
        Assert.Equal(2, buffer.Reattach());  // missing gradients read as zeros
        Assert.All(Flat(buffer), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Existing_gradients_move_into_the_buffer_and_frozen_parameters_stay_out()
    {
        var (model, parameters) = Linear();
        Backward((nn.Module<Tensor, Tensor>)model);
        parameters[1].requires_grad = false;
        using var buffer = new GradientBuffer(parameters);
        Assert.Equal(6, buffer.Count);
        Assert.All(Flat(buffer), v => Assert.Equal(4f, v));
    }
}
