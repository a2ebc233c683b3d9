import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { runStack, type StackRun } from './harness.js';
import { all, one } from './inspect.js';
import { describePolicies } from './policies.js';

const running = runStack('test');
describePolicies('test', () => running);

describe('the test stack is a single VM', () => {
  let run: StackRun;
  before(async () => {
    run = await running;
  });

  it('declares one VM and no scale set, load balancer or autoscale', () => {
    assert.equal(all(run, 'compute:VirtualMachine').length, 1);
    assert.equal(all(run, 'compute:VirtualMachineScaleSet').length, 0);
    assert.equal(all(run, 'network:LoadBalancer').length, 0);
    assert.equal(all(run, 'monitor:AutoscaleSetting').length, 0);
    assert.equal(run.outputs.shape, 'single');
  });

  it('gives the VM a static Standard public address with a DNS label', () => {
    const ip = one(run, 'network:PublicIPAddress');
    assert.equal(ip.inputs.sku.name, 'Standard');
    assert.equal(ip.inputs.publicIPAllocationMethod, 'Static');
    assert.equal(ip.inputs.dnsSettings.domainNameLabel, 'polling-app-test');
    const nic = one(run, 'network:NetworkInterface');
    assert.equal(nic.inputs.ipConfigurations[0].publicIPAddress.id, ip.id);
  });

  it("runs the VM as the app's user-assigned identity", () => {
    const vm = one(run, 'compute:VirtualMachine');
    const identity = one(run, 'managedidentity:UserAssignedIdentity');
    assert.equal(vm.inputs.identity.type, 'UserAssigned');
    assert.deepEqual(vm.inputs.identity.userAssignedIdentities, [identity.id]);
  });

  it('keeps the burstable database without high availability', () => {
    const server = one(run, 'dbformysql:Server');
    assert.equal(server.inputs.sku.tier, 'Burstable');
    assert.equal(server.inputs.highAvailability.mode, 'Disabled');
  });
});
