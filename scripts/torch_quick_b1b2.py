#!/usr/bin/python3
"""PyTorch cross-check of the quick B1/B2 recipe: akamaster's CIFAR ResNet / plain net (option A,
kaiming_normal_ init) trained on the quick profile's Fashion-MNIST subset (first 1000 training and 200
test images per class of Debian's dataset-fashion-mnist), per-pixel mean, pad-4 crop + h-flip, SGD 0.1 /
0.9 / 1e-4, batch 128, lr /10 at 50% and 75% of the steps. Prints training and test error per epoch, to
set beside `npm run reproduce -- --only B1B2` (same recipe; the subset and data order differ).

usage: /usr/bin/python3 scripts/torch_quick_b1b2.py [--epochs 10] [--seed 1] [--threads 2] r20 r56 p20 p56
       (rN = ResNet-N, pN = plain-N)
"""
import argparse, gzip, time
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
ap.add_argument('nets', nargs='+'); ap.add_argument('--epochs', type=int, default=10)
ap.add_argument('--seed', type=int, default=1); ap.add_argument('--threads', type=int, default=2)
args = ap.parse_args()
torch.set_num_threads(args.threads); torch.manual_seed(args.seed); np.random.seed(args.seed)
D='/usr/share/datasets/fashion-mnist/'
def idx(p, off): return np.frombuffer(gzip.open(D+p).read(), np.uint8, offset=off)
xtr=idx('train-images-idx3-ubyte.gz',16).reshape(-1,1,28,28); ytr=idx('train-labels-idx1-ubyte.gz',8)
xte=idx('t10k-images-idx3-ubyte.gz',16).reshape(-1,1,28,28); yte=idx('t10k-labels-idx1-ubyte.gz',8)
def sub(x,y,n):
    ii=np.concatenate([np.where(y==c)[0][:n] for c in range(10)]); return x[ii],y[ii]
xtr,ytr=sub(xtr,ytr,1000); xte,yte=sub(xte,yte,200)
xtr=torch.tensor(xtr,dtype=torch.float32)/255; xte=torch.tensor(xte,dtype=torch.float32)/255
mean=xtr.mean(0,keepdim=True); xtr-=mean; xte-=mean
ytr=torch.tensor(ytr,dtype=torch.long); yte=torch.tensor(yte,dtype=torch.long)
class Block(nn.Module):
    def __init__(s,i,o,st,res):
        super().__init__(); s.res=res
        s.c1=nn.Conv2d(i,o,3,st,1,bias=False); s.b1=nn.BatchNorm2d(o)
        s.c2=nn.Conv2d(o,o,3,1,1,bias=False); s.b2=nn.BatchNorm2d(o)
        s.pad = (st!=1 or i!=o); s.o=o; s.i=i
    def forward(s,x):
        h=F.relu(s.b1(s.c1(x))); h=s.b2(s.c2(h))
        if s.res:
            sc = x
            if s.pad:
                sc=x[:,:,::2,::2]; p=(s.o-s.i)//2; sc=F.pad(sc,(0,0,0,0,p,p))
            h=h+sc
        return F.relu(h)
class Net(nn.Module):
    def __init__(s,n,res):
        super().__init__()
        s.c=nn.Conv2d(1,16,3,1,1,bias=False); s.b=nn.BatchNorm2d(16)
        L=[]; i=16
        for o,st in ((16,1),(32,2),(64,2)):
            for k in range(n): L.append(Block(i,o,st if k==0 else 1,res)); i=o
        s.L=nn.Sequential(*L); s.fc=nn.Linear(64,10)
        for m in s.modules():
            if isinstance(m,(nn.Conv2d,nn.Linear)): nn.init.kaiming_normal_(m.weight)
    def forward(s,x):
        x=s.L(F.relu(s.b(s.c(x)))); return s.fc(F.adaptive_avg_pool2d(x,1).flatten(1))
def run(depth,res,epochs):
    net=Net((depth-2)//6,res); opt=torch.optim.SGD(net.parameters(),0.1,momentum=0.9,weight_decay=1e-4)
    n=len(ytr); spe=(n+127)//128; steps=epochs*spe
    sch=torch.optim.lr_scheduler.MultiStepLR(opt,[round(steps/2),round(steps*3/4)],0.1)
    t=time.time()
    for ep in range(epochs):
        net.train(); perm=torch.randperm(n); wrong=0
        for b in range(spe):
            ii=perm[b*128:(b+1)*128]; x=xtr[ii]; y=ytr[ii]
            x=F.pad(x,(4,4,4,4)); B=len(ii)
            ox=np.random.randint(0,9,B); oy=np.random.randint(0,9,B)
            x=torch.stack([x[k,:,oy[k]:oy[k]+28,ox[k]:ox[k]+28] for k in range(B)])
            fl=torch.rand(B)<0.5; x[fl]=x[fl].flip(3)
            out=net(x); loss=F.cross_entropy(out,y); opt.zero_grad(); loss.backward(); opt.step(); sch.step()
            wrong+=(out.argmax(1)!=y).sum().item()
        net.eval()
        with torch.no_grad(): te=(net(xte).argmax(1)!=yte).float().mean().item()
        print(f'{"resnet" if res else "plain"}{depth} ep{ep+1} train {100*wrong/n:.2f}% test {100*te:.2f}% {time.time()-t:.0f}s',flush=True)
for a in args.nets:
    if a[0] not in 'rp' or not a[1:].isdigit() or (int(a[1:]) - 2) % 6:
        ap.error(f'net "{a}": expected rN or pN with N = 6n+2 (e.g. r20, p56)')
    run(int(a[1:]), a[0] == 'r', args.epochs)
