using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace LoomApp1;

/// <summary>
/// Causal self-attention written with einsum, as in the lecture: scores[b,h,t,s] = q[b,t,h,d]·k[b,s,h,d] / √d,
/// masked so that position t sees only s ≤ t, softmax over s, then out[b,t,h,d] = Σ_s att[b,h,t,s]·v[b,s,h,d].
/// </summary>
public sealed class CausalSelfAttention : Module<Tensor, Tensor>
{
    readonly Linear qkv, proj;
    readonly int heads;

    public CausalSelfAttention(int dim, int heads) : base(nameof(CausalSelfAttention))
    {
        if (dim % heads != 0) throw new ArgumentException($"model.dim={dim} is not divisible by model.heads={heads}");
        this.heads = heads;
        qkv = Linear(dim, 3 * dim);
        proj = Linear(dim, dim);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], t = x.shape[1], dim = x.shape[2], d = dim / heads;
        var parts = qkv.forward(x).view(b, t, 3, heads, d).unbind(2);
        var (q, k, v) = (parts[0], parts[1], parts[2]);
        var scores = einsum("bthd,bshd->bhts", q, k) / Math.Sqrt(d);
        var causal = ones(t, t, dtype: ScalarType.Bool, device: x.device).tril().logical_not();
        var attention = scores.masked_fill(causal, double.NegativeInfinity).softmax(-1);
        var mixed = einsum("bhts,bshd->bthd", attention, v).reshape(b, t, dim);
        return proj.forward(mixed).MoveToOuterDisposeScope();
    }
}

/// <summary>A pre-norm transformer block: x + attention(LN(x)), then x + MLP(LN(x)).</summary>
public sealed class Block : Module<Tensor, Tensor>
{
    readonly LayerNorm norm1, norm2;
    readonly CausalSelfAttention attention;
    readonly Sequential mlp;
    readonly Dropout dropout;

    public Block(int dim, int heads, double dropoutRate) : base(nameof(Block))
    {
        norm1 = LayerNorm(dim);
        norm2 = LayerNorm(dim);
        attention = new CausalSelfAttention(dim, heads);
        mlp = Sequential(Linear(dim, 4 * dim), GELU(), Linear(4 * dim, dim));
        dropout = Dropout(dropoutRate);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = x + dropout.forward(attention.forward(norm1.forward(x)));
        return (h + dropout.forward(mlp.forward(norm2.forward(h)))).MoveToOuterDisposeScope();
    }
}

/// <summary>Character embeddings + learned positions → transformer blocks → logits over the vocabulary.</summary>
public sealed class CharTransformer : Module<Tensor, Tensor>
{
    readonly Embedding tokens, positions;
    readonly ModuleList<Block> blocks = new();
    readonly LayerNorm norm;
    readonly Linear head;

    public CharTransformer(int vocabulary, int seqLen, TransformerSettings s) : base(nameof(CharTransformer))
    {
        tokens = Embedding(vocabulary, s.Dim);
        positions = Embedding(seqLen, s.Dim);
        for (int i = 0; i < s.Layers; i++) blocks.Add(new Block(s.Dim, s.Heads, s.Dropout));
        norm = LayerNorm(s.Dim);
        head = Linear(s.Dim, vocabulary);
        RegisterComponents();
    }

    public override Tensor forward(Tensor ids)
    {
        using var scope = NewDisposeScope();
        var where = arange(ids.shape[1], dtype: ScalarType.Int64, device: ids.device);
        var x = tokens.forward(ids) + positions.forward(where);
        foreach (var block in blocks) x = block.forward(x);
        return head.forward(norm.forward(x)).MoveToOuterDisposeScope();
    }
}
